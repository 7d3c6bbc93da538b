//! Dependency order: what must exist before what, e.g. a view before the view that reads it (created
//! in this order, dropped in the reverse one).

use std::collections::BTreeSet;

/// `nodes` with every node after the nodes it depends on (those among `nodes`; others are ignored),
/// ties broken by the nodes' own order; and, apart, the nodes caught in a cycle.
pub(super) fn dependencies_first<K, F, I>(nodes: &BTreeSet<K>, depends_on: F) -> (Vec<K>, Vec<K>)
where
    K: Ord + Clone,
    F: Fn(&K) -> I,
    I: IntoIterator<Item = K>,
{
    let mut placed: BTreeSet<K> = BTreeSet::new();
    let mut ordered = Vec::new();
    loop {
        let ready: Vec<K> = nodes
            .iter()
            .filter(|node| !placed.contains(*node))
            .filter(|node| {
                depends_on(node).into_iter().all(|dependency| {
                    dependency == **node
                        || !nodes.contains(&dependency)
                        || placed.contains(&dependency)
                })
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            break;
        }
        for node in ready {
            placed.insert(node.clone());
            ordered.push(node);
        }
    }
    let cyclic = nodes
        .iter()
        .filter(|node| !placed.contains(*node))
        .cloned()
        .collect();
    (ordered, cyclic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependencies_come_first_and_cycles_apart() {
        let nodes: BTreeSet<&str> = ["a", "b", "c", "x", "y"].into_iter().collect();
        let edges = |node: &&str| -> Vec<&str> {
            match *node {
                "a" => vec!["b", "outside"],
                "b" => vec!["c", "b"],
                "x" => vec!["y"],
                "y" => vec!["x"],
                _ => vec![],
            }
        };
        let (ordered, cyclic) = dependencies_first(&nodes, edges);
        assert_eq!(ordered, ["c", "b", "a"]);
        assert_eq!(cyclic, ["x", "y"]);
    }
}

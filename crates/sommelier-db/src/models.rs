//! SAQ Sommelier's tables as Rust models: what the migrations must build. A test
//! (`tests/sommelier/models.rs`) fails when a field is added here without a migration.

/// The SAQ catalogue: one row per product
#[derive(carafe::Table)]
#[allow(missing_docs, dead_code)]
#[carafe(index(price))]
pub struct Product {
    /// SAQ code, as printed on the shelf label
    #[carafe(primary_key, check = "sku ~ '^[0-9]{5,8}$'")]
    pub sku: String,
    #[carafe(check = "name <> ''")]
    pub name: String,
    pub producer: Option<String>,
    pub country: String,
    pub region: Option<String>,
    #[carafe(check = "colour IN ('red', 'white', 'rosé', 'orange', 'sparkling', 'fortified')")]
    pub colour: String,
    pub grape: Option<String>,
    #[carafe(default = "750", check = "volume_ml > 0")]
    pub volume_ml: i32,
    #[carafe(sql_type = "numeric(10, 2)", check = "price >= 0")]
    pub price: f64,
    #[carafe(default = "now()")]
    pub created_at: std::time::SystemTime,
    #[carafe(default = "now()")]
    pub updated_at: std::time::SystemTime,
    #[carafe(check = "vintage BETWEEN 1800 AND 2100")]
    pub vintage: Option<i16>,
    #[carafe(sql_type = "numeric(4, 1)", check = "alcohol BETWEEN 0 AND 100")]
    pub alcohol: Option<f64>,
}

/// Every model of SAQ Sommelier.
pub const MODELS: carafe::model::Models = carafe::models![Product];

//! Column types from Rust types: [`SqlType`] and its implementations for the standard types.
//!
//! `Option<T>` makes `T`'s column nullable, `Vec<T>` an array of `T` (except `Vec<u8>`: `bytea`).
//! Types from other crates are mapped behind carafe's features of the same names: `chrono` and
//! `time` (dates and times), `uuid`, `rust_decimal` (`numeric`), `serde_json` (`jsonb`) and `ipnetwork` (`inet`).

use super::Enum;

/// A column's type: a PostgreSQL type name, array dimensions and nullability.
#[derive(Debug, Clone, Copy)]
pub struct ColumnType {
    /// The type as SQL writes it (`integer`, `numeric(10, 2)`, `"public"."colour"`).
    pub name: &'static str,
    /// Array dimensions: 0 for a scalar, 1 for `integer[]`.
    pub dimensions: u8,
    /// Whether the column takes `NULL` (`Option<T>`).
    pub nullable: bool,
    /// The enum this type is, when a model declares it.
    pub enumeration: Option<fn() -> &'static Enum>,
}

impl ColumnType {
    /// A non-null scalar of the named type.
    pub const fn named(name: &'static str) -> ColumnType {
        ColumnType {
            name,
            dimensions: 0,
            nullable: false,
            enumeration: None,
        }
    }

    /// The type as a column definition writes it: `text[]`.
    pub fn sql(&self) -> String {
        let mut sql = self.name.to_owned();
        for _ in 0..self.dimensions {
            sql.push_str("[]");
        }
        sql
    }
}

/// A Rust type with a PostgreSQL column type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no PostgreSQL column type that carafe knows",
    label = "give this field `#[carafe(sql_type = \"...\")]`",
    note = "carafe maps bool, i16, i32, i64, f32, f64, String, Vec<u8>, SystemTime, IpAddr, Option<T>, Vec<T> and `#[derive(carafe::Enum)]` types; the features `chrono`, `time`, `uuid`, `rust_decimal`, `serde_json`, `ipnetwork` map those crates' types"
)]
pub trait SqlType {
    /// The column type.
    const TYPE: ColumnType;
}

macro_rules! sql_types {
    ($($rust:ty => $sql:literal),* $(,)?) => {
        $(impl SqlType for $rust {
            const TYPE: ColumnType = ColumnType::named($sql);
        })*
    };
}

sql_types! {
    bool => "boolean",
    i16 => "smallint",
    i32 => "integer",
    i64 => "bigint",
    f32 => "real",
    f64 => "double precision",
    String => "text",
    std::time::SystemTime => "timestamp with time zone",
    std::net::IpAddr => "inet",
}

impl<T: SqlType> SqlType for Option<T> {
    const TYPE: ColumnType = ColumnType {
        nullable: true,
        ..T::TYPE
    };
}

impl SqlType for Vec<u8> {
    const TYPE: ColumnType = ColumnType::named("bytea");
}

/// Marks the types whose `Vec` is an array (every [`SqlType`] but `u8`, whose `Vec` is `bytea`).
pub trait ArrayElement: SqlType {}

impl<T: ArrayElement> SqlType for Vec<T> {
    const TYPE: ColumnType = ColumnType {
        dimensions: T::TYPE.dimensions + 1,
        nullable: false,
        ..T::TYPE
    };
}

macro_rules! array_elements {
    ($($rust:ty),* $(,)?) => { $(impl ArrayElement for $rust {})* };
}

array_elements!(
    bool,
    i16,
    i32,
    i64,
    f32,
    f64,
    String,
    std::time::SystemTime,
    std::net::IpAddr
);

impl<T: ArrayElement> ArrayElement for Vec<T> {}

#[cfg(feature = "chrono")]
mod chrono_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types! {
        chrono::NaiveDate => "date",
        chrono::NaiveTime => "time without time zone",
        chrono::NaiveDateTime => "timestamp without time zone",
    }
    array_elements!(chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime);

    impl<Tz: chrono::TimeZone> SqlType for chrono::DateTime<Tz> {
        const TYPE: ColumnType = ColumnType::named("timestamp with time zone");
    }
    impl<Tz: chrono::TimeZone> ArrayElement for chrono::DateTime<Tz> {}
}

#[cfg(feature = "time")]
mod time_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types! {
        time::Date => "date",
        time::Time => "time without time zone",
        time::PrimitiveDateTime => "timestamp without time zone",
        time::OffsetDateTime => "timestamp with time zone",
    }
    array_elements!(
        time::Date,
        time::Time,
        time::PrimitiveDateTime,
        time::OffsetDateTime
    );
}

#[cfg(feature = "uuid")]
mod uuid_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types!(uuid::Uuid => "uuid");
    array_elements!(uuid::Uuid);
}

#[cfg(feature = "rust_decimal")]
mod decimal_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types!(rust_decimal::Decimal => "numeric");
    array_elements!(rust_decimal::Decimal);
}

#[cfg(feature = "serde_json")]
mod json_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types!(serde_json::Value => "jsonb");
    array_elements!(serde_json::Value);
}

#[cfg(feature = "ipnetwork")]
mod network_types {
    use super::{ArrayElement, ColumnType, SqlType};

    sql_types!(ipnetwork::IpNetwork => "inet");
    array_elements!(ipnetwork::IpNetwork);
}

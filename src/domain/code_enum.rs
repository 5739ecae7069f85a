//! A small macro for the closed vocabularies of the domain (modes, grades, sources…).
//!
//! Each variant has a stable English snake_case code (used in SQLite, JSON and config) and a
//! Chinese label (shown to users and accepted from rosters). Parsing accepts either.

/// Error returned when a code or label is not one of the enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{value}”不是有效的{what}，可选：{allowed}")]
pub struct UnknownCode {
    pub what: &'static str,
    pub value: String,
    pub allowed: String,
}

macro_rules! code_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal / $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
                 serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable English code stored in the database and written to JSON.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a code or a Chinese label (surrounding spaces ignored).
            pub fn parse(value: &str) -> Result<Self, $crate::domain::code_enum::UnknownCode> {
                let v = value.trim();
                $( if v == $code || v == $label { return Ok($name::$variant); } )+
                Err($crate::domain::code_enum::UnknownCode {
                    what: $what,
                    value: v.to_string(),
                    allowed: [$($label),+].join("、"),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::domain::code_enum::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> { Self::parse(s) }
        }
    };
}

pub(crate) use code_enum;

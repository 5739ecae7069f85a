//! Who vouches for a record: each inspector profile's ed25519 key pair, made on first use.
//! The private half is a file in the data dir's `keys/` folder readable by its owner only;
//! the public half is recorded in the database and travels in bundles.

pub mod card;
pub mod hex;
pub mod key_file;
pub mod keys;
pub mod protect;

pub use keys::{KeyError, Keys};

//! Drawing only: one module per screen. No I/O, no state changes.

pub mod home;

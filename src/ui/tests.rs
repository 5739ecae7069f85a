//! Screens on a `TestBackend`, with a fixed clock.

//! Colours and emphasis, in one place.

use ratatui::style::{Color, Modifier, Style};

pub fn title() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn saved() -> Style {
    Style::new().fg(Color::Black).bg(Color::Cyan)
}
pub fn key() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn selected() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn error() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}
pub fn notice() -> Style {
    Style::new().fg(Color::Yellow)
}
pub fn good() -> Style {
    Style::new().fg(Color::Green)
}
pub fn bad() -> Style {
    Style::new().fg(Color::Red)
}
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}
pub fn heading() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

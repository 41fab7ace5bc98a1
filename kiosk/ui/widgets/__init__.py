"""Reusable widgets of the booth TUI."""

"""Booth check-in kiosk: who should receive this visitor, and why."""

__version__ = "0.1.0"

"""Panels: controls, status and the formula card."""

"""Scheduled work, registered at start-up with stable names."""

"""Angry-customer trainer: practise calming an angry customer in a terminal."""

__version__ = "0.1.0"

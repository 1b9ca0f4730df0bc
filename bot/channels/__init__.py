"""Messenger adapters and the terminal chat."""

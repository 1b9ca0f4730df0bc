"""The pure conversation engine: flows, state and replies, with no I/O."""

"""The commune's staff: who they are, what they may do, and what they did."""

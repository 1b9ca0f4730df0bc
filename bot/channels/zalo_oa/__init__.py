"""The Zalo Official Account channel (Open API v3): webhook events in, consultation messages out."""

"""Officials' broadcasts: audiences, safety, quiet hours, sending through the outbox, reports."""

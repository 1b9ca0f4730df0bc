"""Follow-ups: a resident who needs a person, and the staff who take it from there."""

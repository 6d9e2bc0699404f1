"""Role design: classification, checks against the hiring policy and the preconditions,
and the documents a manager and a peer worker agree to."""

"""Claim extraction and verdict logic: pure functions over text and facts, no I/O."""

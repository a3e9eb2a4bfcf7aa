"""Batch evaluation: annotated sample sets, scorers, a resumable runner, reports and run comparison."""

"""The sales pipeline: standard stages with required actions and win probabilities, the
opportunities moving through them, and every stage change kept for conversion and cycle time."""

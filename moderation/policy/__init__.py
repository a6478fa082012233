"""The policy: the thresholds and word lists that owners tune, the rule that turns a comment's
scores into a decision, and the evidence for tuning them (what-if replay, calibration, figures)."""

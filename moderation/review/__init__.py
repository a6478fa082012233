"""Review: what people decide, namely the moderators' queue and their decisions, undo, readers'
reports, authors' appeals, bans and the audit sample of automatic decisions."""

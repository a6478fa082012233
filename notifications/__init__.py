"""Notifications: readers following discussions, follower e-mails and digests, the e-mails that
tell authors of decisions and appeals, and the signed links in them."""

"""Interviews: days and slots, invitations, self-scheduling with a waitlist, ranked-dates mode."""

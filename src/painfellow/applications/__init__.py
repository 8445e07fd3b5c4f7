"""Applications: applicant profile, documents, confidential letters, submissions, program review."""

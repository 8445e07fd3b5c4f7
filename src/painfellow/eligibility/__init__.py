"""Fellowship eligibility: the public questionnaire and the admin-editable rules behind it."""

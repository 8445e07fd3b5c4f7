"""Program discovery: search, filter and rank programs by an applicant-weighted fit (issue 4)."""

"""Training records: schedules, rotations and the block-schedule solver adapter."""

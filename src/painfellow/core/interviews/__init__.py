"""Pure interview logic: the fair assignment of ranked interview days."""

"""What officials and admins see beyond the citizen menu: the staff menu and staff accounts."""

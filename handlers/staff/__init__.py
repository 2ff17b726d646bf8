"""What officials and admins see beyond the citizen menu: the staff menu, the weekly digest,
reports in the chat."""

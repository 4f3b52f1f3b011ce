# Activities, sessions and bookings come with the groups issue.

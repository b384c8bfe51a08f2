"""OnTrack: case management, eligibility and outcomes for pretrial diversion jobs programs."""

"""The trainer's screens: picker, session, scorecard, review, help and dialogs."""

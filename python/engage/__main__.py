"""``python -m engage`` runs the command line."""

from .cli import main

raise SystemExit(main())

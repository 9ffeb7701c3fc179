from rec_tui.cli import main

raise SystemExit(main())

from quotecheck.cli import main

raise SystemExit(main())

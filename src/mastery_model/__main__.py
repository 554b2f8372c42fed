import sys

from mastery_model.cli import main

sys.exit(main())

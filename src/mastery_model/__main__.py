import sys

from mastery_model.launch import main

sys.exit(main())

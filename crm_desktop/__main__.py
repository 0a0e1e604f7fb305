import sys

from crm_desktop.launch import main

sys.exit(main())

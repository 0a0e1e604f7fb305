"""Sub-commands of `crm-desktop`. Each module has `add_parser(subparsers)` and `run(args)`."""

"""Placeholder until the command is written."""

import argparse


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    return subparsers.add_parser(name)


def run(args: argparse.Namespace) -> int:
    return 1

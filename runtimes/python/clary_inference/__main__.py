"""python3 -m clary_inference serve"""
import sys

USAGE = "usage: python3 -m clary_inference serve\n"


def main(argv):
    command = argv[1] if len(argv) > 1 else "serve"
    if command != "serve":
        sys.stderr.write(USAGE)
        return 2
    from clary_inference import master

    return master.serve()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

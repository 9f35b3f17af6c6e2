"""python3 -m clary_training {train | xgboost-train}"""
import os
import sys

USAGE = "usage: python3 -m clary_training {train|xgboost-train}\n"


def main(argv):
    command = argv[1] if len(argv) > 1 else "train"
    if command == "train":
        from clary_training import trainer

        code = trainer.train()
    elif command == "xgboost-train":
        from clary_training.xgboost_algorithm import train as xgb_train

        code = xgb_train.main()
    else:
        sys.stderr.write(USAGE)
        code = 2
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv)

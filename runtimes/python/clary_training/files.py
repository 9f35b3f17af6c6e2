"""success/failure files and fetching the user's code (S3 URI, local directory or local tarball)."""
import logging
import os
import shutil
import tarfile
import tempfile

from clary_training import errors, paths, s3

logger = logging.getLogger("clary_training")


def write_success_file():
    os.makedirs(paths.output_dir(), exist_ok=True)
    with open(os.path.join(paths.output_dir(), "success"), "w"):
        pass


def write_failure_file(failure_msg):
    """Write output/failure only if it does not exist yet (the first failure wins)."""
    os.makedirs(paths.output_dir(), exist_ok=True)
    path = os.path.join(paths.output_dir(), "failure")
    if os.path.exists(path):
        logger.info("Failure file exists. Skipping creation....")
        return
    with open(path, "w") as f:
        f.write(failure_msg)


def _within(directory, target):
    directory = os.path.realpath(directory)
    return os.path.commonpath([directory, os.path.realpath(target)]) == directory


def safe_extract(archive_path, dest):
    """Extract a (possibly compressed) tarball into dest, refusing anything that would land outside
    it: absolute or '..' names, links pointing out, device files."""
    os.makedirs(dest, exist_ok=True)
    with tarfile.open(archive_path, "r:*") as tar:
        members = tar.getmembers()
        for m in members:
            target = os.path.join(dest, m.name)
            if os.path.isabs(m.name) or not _within(dest, target):
                raise errors.UserConfigurationError(
                    "Attempted Path Traversal in Tar File: member %r of %s lands outside %s" % (m.name, archive_path, dest))
            if m.issym() or m.islnk():
                base = dest if m.islnk() else os.path.dirname(target)
                link_target = os.path.join(base, m.linkname)
                if os.path.isabs(m.linkname) or not _within(dest, link_target):
                    raise errors.UserConfigurationError(
                        "Attempted Path Traversal in Tar File: link %r -> %r of %s points outside %s"
                        % (m.name, m.linkname, archive_path, dest))
            if m.isdev():
                raise errors.UserConfigurationError("Tar file %s holds a device file %r" % (archive_path, m.name))
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, members=members, filter="data")
        else:
            tar.extractall(dest, members=members)


def download_and_extract(uri, path):
    """Put the code behind `uri` into `path`, unless `path` already holds files (code pre-placed)."""
    os.makedirs(path, exist_ok=True)
    if os.listdir(path):
        logger.info("%s already holds code; not fetching %s", path, uri)
        return
    if uri.startswith("s3://"):
        with tempfile.TemporaryDirectory() as tmp:
            dst = os.path.join(tmp, "tar_file")
            s3.download(uri, dst)
            safe_extract(dst, path)
    elif os.path.isdir(uri):
        if os.path.realpath(uri) == os.path.realpath(path):
            return
        shutil.copytree(uri, path, dirs_exist_ok=True)
    elif os.path.isfile(uri) and tarfile.is_tarfile(uri):
        safe_extract(uri, path)
    elif os.path.isfile(uri):
        shutil.copy2(uri, path)
    else:
        raise errors.UserConfigurationError(
            "sagemaker_submit_directory %r is neither an s3:// URI nor an existing directory or tarball" % uri)

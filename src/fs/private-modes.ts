// The modes of everything tsdb-backup creates on a local disk: private to its user, whatever the umask
// (which can only take bits away). A backup holds a company's metric names, tags and numbers.

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

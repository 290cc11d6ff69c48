package jpmacct.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumSet;
import java.util.Set;

/**
 * Applies {@code files_umask}, {@code files_uid} and {@code files_gid} to files the daemon creates (Java cannot
 * set the process umask, so modes are set explicitly after creation).
 */
public final class FilePermissions {
    private final long umask;
    private final String uid;
    private final String gid;

    public FilePermissions(long umask, String uid, String gid) {
        this.umask = umask;
        this.uid = uid;
        this.gid = gid;
    }

    public static FilePermissions defaults() {
        return new FilePermissions(077, null, null);
    }

    /** Sets mode {@code 0666 & ~umask} and the configured owner on a file just created. */
    public void apply(Path file) throws IOException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        long mode = 0666 & ~umask;
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < 9; bit++) {
            if ((mode & (1L << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        try {
            Files.setPosixFilePermissions(file, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to do
        }
        if (uid != null || gid != null) {
            UserPrincipalLookupService lookup = file.getFileSystem().getUserPrincipalLookupService();
            if (uid != null) {
                UserPrincipal u = lookup.lookupPrincipalByName(uid);
                Files.setOwner(file, u);
            }
            if (gid != null) {
                GroupPrincipal g = lookup.lookupPrincipalByGroupName(gid);
                Files.getFileAttributeView(file, PosixFileAttributeView.class).setGroup(g);
            }
        }
    }
}

package jpmacct.core.capture;

import java.io.IOException;

/** A savefile that cannot be read on: not a capture, an unknown format, a corrupt or cut-short record. */
public class SavefileException extends IOException {
    private static final long serialVersionUID = 1L;

    public SavefileException(String message) {
        super(message);
    }
}

package vn.vss.ivr.adapter.agi;

import java.nio.file.Path;

/**
 * Where prompt audio and recordings are: Asterisk and the hotline may see the shared volumes under
 * different paths, so Asterisk is told its own.
 *
 * @param asteriskSoundsDirectory the prompt audio, as Asterisk sees it
 * @param recordingsDirectory the callers' recordings, as the hotline sees them
 * @param asteriskRecordingsDirectory the same recordings, as Asterisk sees them
 */
public record MediaDirectories(
        String asteriskSoundsDirectory, Path recordingsDirectory, String asteriskRecordingsDirectory) {}

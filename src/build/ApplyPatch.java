import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a unified diff strictly, for the build (pom.xml, "netty-patch"): every hunk must match its file exactly at
 * the line it names, with no fuzz and no offset, or the build fails saying which file and hunk no longer match. A
 * dependency upgrade that touches a patched file therefore stops the build instead of shipping a patch applied to
 * code it was not written for.
 *
 * <pre>java src/build/ApplyPatch.java PATCH FROM TO</pre>
 *
 * Reads each file the patch names (its path after "+++ b/") from FROM, writes the patched file under TO (FROM is
 * never changed, so the build can run again over the same unpacked sources). Files end with a newline; the patch
 * has no "\ No newline at end of file" lines.
 */
public final class ApplyPatch {

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java ApplyPatch.java PATCH FROM TO");
            System.exit(2);
        }
        Path patch = Path.of(args[0]);
        Path from = Path.of(args[1]);
        Path to = Path.of(args[2]);
        List<String> lines = Files.readAllLines(patch, StandardCharsets.UTF_8);
        int files = 0;
        int i = 0;
        while (i < lines.size()) {
            if (!lines.get(i).startsWith("+++ ")) {
                i++;
                continue;
            }
            String name = pathOf(lines.get(i++));
            List<String> source = Files.readAllLines(from.resolve(name), StandardCharsets.UTF_8);
            List<String> result = new ArrayList<>();
            int copied = 0; // lines of source already handled
            while (i < lines.size() && lines.get(i).startsWith("@@")) {
                String header = lines.get(i++);
                Matcher m = HUNK.matcher(header);
                if (!m.matches()) {
                    fail(patch, name, header, "is not a hunk header");
                }
                int start = Integer.parseInt(m.group(1)) - 1;
                int oldCount = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                int newCount = m.group(4) == null ? 1 : Integer.parseInt(m.group(4));
                if (start < copied) {
                    fail(patch, name, header, "overlaps the hunk before it");
                }
                result.addAll(source.subList(copied, Math.min(start, source.size())));
                int hunkStart = result.size();
                int at = start;
                while (i < lines.size() && !lines.get(i).startsWith("@@") && !isFileHeader(lines.get(i))) {
                    String line = lines.get(i++);
                    char kind = line.isEmpty() ? ' ' : line.charAt(0);
                    String text = line.isEmpty() ? "" : line.substring(1);
                    if (kind == '+') {
                        result.add(text);
                    } else if (kind == ' ' || kind == '-') {
                        if (at >= source.size() || !source.get(at).equals(text)) {
                            fail(patch, name, header, "expects line " + (at + 1) + " to be \"" + text + "\", found \""
                                    + (at < source.size() ? source.get(at) : "<end of file>") + "\"");
                        }
                        if (kind == ' ') {
                            result.add(text);
                        }
                        at++;
                    } else {
                        fail(patch, name, header, "has a line that is neither context, removal nor addition: " + line);
                    }
                }
                if (at - start != oldCount || result.size() - hunkStart != newCount) {
                    fail(patch, name, header, "does not have the lines its header counts");
                }
                copied = at;
            }
            result.addAll(source.subList(copied, source.size()));
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            Files.write(target, result, StandardCharsets.UTF_8);
            files++;
        }
        if (files == 0) {
            fail(patch, "-", "-", "names no file");
        }
        System.out.println("ApplyPatch: " + patch.getFileName() + " applied to " + files + " files");
    }

    private static boolean isFileHeader(String line) {
        return line.startsWith("diff ") || line.startsWith("--- ") || line.startsWith("+++ ");
    }

    /** "+++ b/io/netty/X.java<TAB>date" to "io/netty/X.java". */
    private static String pathOf(String header) {
        String path = header.substring(4);
        int tab = path.indexOf('\t');
        if (tab >= 0) {
            path = path.substring(0, tab);
        }
        return path.startsWith("b/") ? path.substring(2) : path;
    }

    private static void fail(Path patch, String file, String hunk, String why) {
        System.err.println("ApplyPatch: " + patch + ": " + file + ", hunk " + hunk + " " + why
                + ": the patched dependency changed; make the patch again for its new version");
        System.exit(1);
    }
}

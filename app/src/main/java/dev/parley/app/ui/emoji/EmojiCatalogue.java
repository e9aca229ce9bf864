package dev.parley.app.ui.emoji;

import dev.parley.app.ui.i18n.Texts;
import java.util.List;
import java.util.Locale;

/** The emoji the picker offers, by category: the ones people use most, not all of Unicode. */
final class EmojiCatalogue {
    /** A tab of the picker: {@code name} names its components in any language, {@code titleKey} its shown title. */
    record Category(String name, String titleKey, List<String> emoji) {
        String title() {
            return Texts.text(titleKey);
        }
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("Smileys", "emoji.category.smileys", words("😀 😃 😄 😁 😆 😅 😂 🤣 🙂 🙃 😉 😊 😇 🥰 😍 🤩 😘 😋 😛 😜 🤪 😝 🤗 🤭"
                    + " 🤫 🤔 😐 😑 😶 😏 😒 🙄 😬 😌 😔 😪 😴 😷 🤒 🤧 🥵 🥶 😵 🤯 🥳 😎 🤓 😕 😟 🙁 😮 😲 😳"
                    + " 🥺 😦 😨 😰 😥 😢 😭 😱 😖 😣 😞 😓 😩 😫 🥱 😤 😡 😠 🤬 😈 💀 💩 🤡 👻 👽 🤖")),
            new Category("People", "emoji.category.people", words("👋 🤚 ✋ 🖖 👌 🤌 ✌️ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 ☝️ 👍 👎 ✊ 👊 👏 🙌 👐"
                    + " 🤲 🤝 🙏 ✍️ 💪 👀 🧠 👶 🧒 👦 👧 🧑 👨 👩 🧓 👴 👵 🙋 🙇 🤦 🤷 💃 🕺 👯 🧘")),
            new Category("Nature", "emoji.category.nature", words("🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐔 🐧 🐦 🦆 🦉 🐴 🦄 🐝 🦋"
                    + " 🐌 🐞 🐢 🐍 🐙 🐠 🐬 🐳 🌵 🎄 🌲 🌳 🌴 🌱 🌿 🍀 🍁 🍂 🌷 🌹 🌻 🌸 🌙 ⭐ 🌟 ☀️ ⛅ 🌧️"
                    + " ⛄ ❄️ 🔥 🌈 🌊")),
            new Category("Food", "emoji.category.food", words("🍏 🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🥭 🍍 🥥 🥝 🍅 🥑 🥦 🥕 🌽 🌶️ 🥔 🥐 🍞"
                    + " 🧀 🥚 🍳 🥞 🥓 🍔 🍟 🍕 🌭 🥪 🌮 🌯 🍝 🍜 🍣 🍱 🍦 🍰 🎂 🍫 🍪 🍩 ☕ 🍵 🍺 🍻 🍷 🥂 🍹")),
            new Category("Activities", "emoji.category.activities", words("⚽ 🏀 🏈 ⚾ 🎾 🏐 🏉 🎱 🏓 🏸 🥅 ⛳ 🎣 🥊 🎿 🏂 🏄 🏊 🚴 🧗 🎮 🎲 🧩 🎯"
                    + " 🎨 🎬 🎤 🎧 🎸 🎹 🎺 🎻 🥁 🎉 🎊 🎁 🏆 🥇 🚗 🚕 🚌 🚆 🚲 ✈️ 🚀 ⛵ 🏠 🏖️ 🏔️ 🗺️")),
            new Category("Objects", "emoji.category.objects", words("💡 📱 💻 ⌨️ 🖥️ 🖨️ 📷 📺 ⏰ ⌛ 💰 💳 ✉️ 📦 📚 📖 ✏️ 📝 📎 📌 🔒 🔑 🔨 🧰"
                    + " ❤️ 🧡 💛 💚 💙 💜 🖤 💔 💕 💯 ✅ ❌ ❓ ❗ ⚠️ 🚫 ➕ ➖ ✔️ 💤 🎵 🔔 🏳️ 🏁")));

    private EmojiCatalogue() {
    }

    /** What a screen reader says for {@code emoji}: the Unicode name of its first character, in lower case. */
    static String nameOf(String emoji) {
        String name = Character.getName(emoji.codePointAt(0));
        return name == null ? emoji : name.toLowerCase(Locale.ROOT);
    }

    private static List<String> words(String spaced) {
        return List.of(spaced.split(" "));
    }
}

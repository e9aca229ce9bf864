package dev.parley.app.ui.emoji;

import java.util.List;
import java.util.Locale;

/** The emoji the picker offers, by category: the ones people use most, not all of Unicode. */
final class EmojiCatalogue {
    /** A tab of the picker. */
    record Category(String name, List<String> emoji) {
    }

    static final List<Category> CATEGORIES = List.of(
            new Category("Smileys", words("😀 😃 😄 😁 😆 😅 😂 🤣 🙂 🙃 😉 😊 😇 🥰 😍 🤩 😘 😋 😛 😜 🤪 😝 🤗 🤭"
                    + " 🤫 🤔 😐 😑 😶 😏 😒 🙄 😬 😌 😔 😪 😴 😷 🤒 🤧 🥵 🥶 😵 🤯 🥳 😎 🤓 😕 😟 🙁 😮 😲 😳"
                    + " 🥺 😦 😨 😰 😥 😢 😭 😱 😖 😣 😞 😓 😩 😫 🥱 😤 😡 😠 🤬 😈 💀 💩 🤡 👻 👽 🤖")),
            new Category("People", words("👋 🤚 ✋ 🖖 👌 🤌 ✌️ 🤞 🤟 🤘 🤙 👈 👉 👆 👇 ☝️ 👍 👎 ✊ 👊 👏 🙌 👐"
                    + " 🤲 🤝 🙏 ✍️ 💪 👀 🧠 👶 🧒 👦 👧 🧑 👨 👩 🧓 👴 👵 🙋 🙇 🤦 🤷 💃 🕺 👯 🧘")),
            new Category("Nature", words("🐶 🐱 🐭 🐹 🐰 🦊 🐻 🐼 🐨 🐯 🦁 🐮 🐷 🐸 🐵 🐔 🐧 🐦 🦆 🦉 🐴 🦄 🐝 🦋"
                    + " 🐌 🐞 🐢 🐍 🐙 🐠 🐬 🐳 🌵 🎄 🌲 🌳 🌴 🌱 🌿 🍀 🍁 🍂 🌷 🌹 🌻 🌸 🌙 ⭐ 🌟 ☀️ ⛅ 🌧️"
                    + " ⛄ ❄️ 🔥 🌈 🌊")),
            new Category("Food", words("🍏 🍎 🍐 🍊 🍋 🍌 🍉 🍇 🍓 🍒 🍑 🥭 🍍 🥥 🥝 🍅 🥑 🥦 🥕 🌽 🌶️ 🥔 🥐 🍞"
                    + " 🧀 🥚 🍳 🥞 🥓 🍔 🍟 🍕 🌭 🥪 🌮 🌯 🍝 🍜 🍣 🍱 🍦 🍰 🎂 🍫 🍪 🍩 ☕ 🍵 🍺 🍻 🍷 🥂 🍹")),
            new Category("Activities", words("⚽ 🏀 🏈 ⚾ 🎾 🏐 🏉 🎱 🏓 🏸 🥅 ⛳ 🎣 🥊 🎿 🏂 🏄 🏊 🚴 🧗 🎮 🎲 🧩 🎯"
                    + " 🎨 🎬 🎤 🎧 🎸 🎹 🎺 🎻 🥁 🎉 🎊 🎁 🏆 🥇 🚗 🚕 🚌 🚆 🚲 ✈️ 🚀 ⛵ 🏠 🏖️ 🏔️ 🗺️")),
            new Category("Objects", words("💡 📱 💻 ⌨️ 🖥️ 🖨️ 📷 📺 ⏰ ⌛ 💰 💳 ✉️ 📦 📚 📖 ✏️ 📝 📎 📌 🔒 🔑 🔨 🧰"
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
